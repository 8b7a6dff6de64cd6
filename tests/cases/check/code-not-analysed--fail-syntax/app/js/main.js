// a merge left half a call behind: the reader cannot say what it asks for
function load() {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk"
}
