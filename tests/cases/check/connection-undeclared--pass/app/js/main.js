// A commented-out call with an old link name never counts:
// ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "old_name" });
/* ZOHODESK.request({ connectionLinkName: "older_name" }); */
ZOHODESK.extension.onload().then(function () {
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
});
