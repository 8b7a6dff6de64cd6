// Reads tickets and contacts: the new Desk.contacts.READ serves the second call.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/contacts", type: "GET", connectionLinkName: "zohodesk" });
