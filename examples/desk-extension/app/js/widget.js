/* Order Lookup: shows the orders of the ticket's (or contact's) customer. */
(function () {
  "use strict";

  var API = "https://api.orders.example.com/v2/orders";
  var DESK = "https://desk.zoho.com/api/v1";

  function text(key, fallback) {
    var strings = window.orderLookupStrings || {};
    return strings[key] || fallback;
  }

  function show(status) {
    document.querySelector(".status").textContent = status;
  }

  function render(orders) {
    var list = document.querySelector(".orders");
    list.textContent = "";
    if (!orders.length) {
      show(text("status.empty", "No orders yet."));
      return;
    }
    show("");
    orders.forEach(function (order) {
      var item = document.createElement("li");
      var id = document.createElement("span");
      var total = document.createElement("span");
      id.textContent = "#" + order.number;
      total.textContent = order.total;
      item.appendChild(id);
      item.appendChild(total);
      list.appendChild(item);
    });
  }

  // Desk's API through the extension's Zoho connection (scope Desk.contacts.READ).
  function deskGet(app, path) {
    return app.request({
      url: DESK + path,
      type: "GET",
      connectionLinkName: "orderlookup_desk"
    }).then(function (response) {
      return JSON.parse(response.response).statusMessage;
    });
  }

  function emailOf(app, view) {
    var key = view === "contact" ? "contact.id" : "ticket.contactId";
    return app.get(key).then(function (data) {
      return deskGet(app, "/contacts/" + encodeURIComponent(data[key]));
    }).then(function (contact) {
      return contact.email;
    });
  }

  function lookUp(app, email) {
    // The API key is a secure config parameter: Desk's request proxy fills it in,
    // so it never reaches the browser.
    return app.request({
      url: API + "?email=" + encodeURIComponent(email),
      type: "GET",
      headers: { Authorization: "Bearer {{config.apiKey}}" },
      connectionLinkName: "orderlookup_api",
      responseType: "json"
    });
  }

  window.onload = function () {
    var view = document.getElementById("orders").getAttribute("data-view");
    ZOHODESK.extension.onload().then(function (app) {
      return app.locale().then(function (locale) {
        return app.get("extension.config").then(function () {
          window.orderLookupLocale = locale;
          return emailOf(app, view);
        });
      }).then(function (email) {
        return lookUp(app, email);
      }).then(function (response) {
        var body = JSON.parse(response.response);
        render(body.statusMessage.orders || []);
      });
    }).catch(function () {
      show(text("status.failed", "The orders could not be loaded."));
    });
  };
})();
