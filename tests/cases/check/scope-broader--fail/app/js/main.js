function save(id, body) {
  var request = {
    url: "https://desk.zoho.com/api/v1/contacts/" + id,
    type: "PATCH",
    postBody: body,
    connectionLinkName: "zohodesk"
  };
  return ZOHODESK.request(request);
}
