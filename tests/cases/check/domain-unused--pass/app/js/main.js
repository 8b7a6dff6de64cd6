const API = "https://api.example.org";
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: API + "/v2/orders?email=" + email, type: "GET" });
