// Only zohodesk is used: the new slack_link connection serves no call.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
