function f(n) { return f(n + 1) + 1; }
function FindProxyForURL(url, host) { return f(0); }