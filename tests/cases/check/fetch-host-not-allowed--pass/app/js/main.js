  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
fetch("https://api.example.com/v1/orders");
fetch("./translations/en.json");
const xhr = new XMLHttpRequest();
xhr.open("GET", "https://api.example.com/v1/customers");
