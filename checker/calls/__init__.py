"""Reading the extension's JavaScript: call sites -> (link name, method, URL prefix), audited."""
