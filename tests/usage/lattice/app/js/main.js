// Desk.contacts.ALL covers the contacts read; Desk.tasks.CREATE serves no call (it would
// cover a task creation, not a read of tasks).
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/contacts", type: "GET", connectionLinkName: "zohodesk" });
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tasks", type: "GET", connectionLinkName: "zohodesk" });
