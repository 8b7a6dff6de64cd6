// A data-centre switch: desk.zoho.${dc} is every Desk data centre.
function agents(dc) {
  const url = `https://desk.zoho.${dc}/api/v1/agents`;
  return ZOHODESK.request({ url, type: "GET", connectionLinkName: "zohodesk" });
}
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
