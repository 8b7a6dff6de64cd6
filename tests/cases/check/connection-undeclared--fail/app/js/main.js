// The link name has a typo: Desk refuses the call, or uses an unreviewed org connection.
ZOHODESK.extension.onload().then(function () {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk_typo" });
});
