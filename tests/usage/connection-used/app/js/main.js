// slack_link is used; which Slack scopes the call needs is not known.
ZOHODESK.request({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
ZOHODESK.request({ url: "https://slack.com/api/chat.postMessage", type: "POST", connectionLinkName: "slack_link" });
