// Near misses: "ZohoDesk" and "Slack_Link" are not the declared link names, but may be
// meant as them, so neither the scope nor the connection is said to be unused.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/settings", type: "GET", connectionLinkName: "ZohoDesk" });
ZOHODESK.request({ url: "https://slack.com/api/chat.postMessage", type: "POST", connectionLinkName: "Slack_Link" });
