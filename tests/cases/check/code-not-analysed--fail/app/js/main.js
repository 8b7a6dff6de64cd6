function call(settings) {
  ZOHODESK.request({ url: settings.deskUrl + "/tickets", type: "GET", connectionLinkName: "zohodesk" });
}
