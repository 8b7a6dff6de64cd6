// Desk has no accounts scope: accounts are served by Desk.contacts.
const DESK = "https://desk.zoho.com/api/v1";
function account(id) {
  ZOHODESK.request({ url: DESK + "/accounts/" + id, type: "GET", connectionLinkName: "zohodesk" });
}
