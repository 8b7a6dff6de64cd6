  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
fetch("https://api.example.com/v1/orders");
fetch("https://collector.example.net/beacon", { method: "POST" });
