// "ZohoDesk" differs from the declared "zohodesk" only in letter case: connection-undeclared
// says so at the call, and the declared connection is not also called unused.
ZOHODESK.request({
  url: "https://desk.zoho.com/api/v1/tickets",
  type: "GET",
  connectionLinkName: "ZohoDesk",
});
