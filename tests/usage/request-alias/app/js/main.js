// Settings are read through an alias of ZOHODESK.request: which connection and URL it is
// called with is not seen, so Desk.settings.ALL is neither needed nor unneeded.
const deskRequest = ZOHODESK.request.bind(ZOHODESK);
function load() {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  deskRequest({ url: "https://desk.zoho.com/api/v1/settings", type: "GET", connectionLinkName: "zohodesk" });
}
