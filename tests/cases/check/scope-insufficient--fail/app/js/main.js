const DESK = "https://desk.zoho.com/api/v1";
function ticket(id) {
  ZOHODESK.request({ url: DESK + "/tickets/" + id, type: "GET", connectionLinkName: "zohodesk" });
}
