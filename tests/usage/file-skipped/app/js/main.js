// Reads tickets; app/js/bundle.js is minified and not analysed, so it may use settings.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
