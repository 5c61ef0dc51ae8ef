package web

// ActionText says in words what an audit log's action did, for the tests.
var ActionText = actionText
