// The second call's URL is handed in: it may need Desk.settings.
function load(target) {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: target, type: "GET", connectionLinkName: "zohodesk" });
}
