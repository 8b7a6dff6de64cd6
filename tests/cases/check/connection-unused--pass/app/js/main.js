const GITHUB = "github";
  ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
  ZOHODESK.request({ url: "https://api.github.com/user/repos", type: "GET", connectionLinkName: GITHUB });
