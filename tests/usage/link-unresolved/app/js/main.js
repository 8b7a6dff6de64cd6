// The second call's link name comes from the configuration: it may be zohodesk.
function load(config) {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/settings", type: "GET", connectionLinkName: config.link });
}
