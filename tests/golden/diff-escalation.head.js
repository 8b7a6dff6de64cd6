// The head's code for the escalation golden (read as extensions/orders/app/js/main.js):
// it updates tickets and reads contacts through orderlookup_desk, calls the orders API
// through orderlookup_api, and never uses the new github connection or Desk settings.
function closeTicket(id) {
  return ZOHODESK.request({
    url: "https://desk.zoho.com/api/v1/tickets/" + id,
    type: "PATCH",
    connectionLinkName: "orderlookup_desk",
    data: { status: "Closed" },
  });
}

function contact(id) {
  return ZOHODESK.request({
    url: `https://desk.zoho.com/api/v1/contacts/${id}`,
    type: "GET",
    connectionLinkName: "orderlookup_desk",
  });
}

function order(number) {
  return ZOHODESK.request({
    url: "https://orders.example.com/api/orders/" + number,
    type: "GET",
    connectionLinkName: "orderlookup_api",
  });
}
