// The link name comes from the configuration: the call is not analysed, so nothing is
// reported unused.
function call(config) {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: "https://api.github.com/user/repos", type: "GET", connectionLinkName: config.connection });
}
