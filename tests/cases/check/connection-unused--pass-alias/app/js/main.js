// The GitHub connection is used only through an alias of ZOHODESK.request: the reader cannot
// see which link name those calls pass, so no connection is called unused.
const send = ZOHODESK.request.bind(ZOHODESK);
function tickets() {
  return ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
}
function repos() {
  return send({ url: "https://api.github.com/user/repos", type: "GET", connectionLinkName: "github" });
}
