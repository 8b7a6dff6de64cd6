// Updating a ticket needs Desk.tickets.UPDATE, which the broadened Desk.tickets.ALL covers.
function close(id) {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets/" + id, type: "PATCH", connectionLinkName: "zohodesk" });
}
