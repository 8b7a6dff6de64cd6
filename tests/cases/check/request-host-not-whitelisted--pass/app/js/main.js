  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: `https://api.example.com/v1/orders/${id}`, type: "GET" });
