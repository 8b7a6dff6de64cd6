// Reads tickets only: Desk.settings.ALL serves no call.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
