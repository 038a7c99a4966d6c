"""The review page: server-rendered HTML and a little plain JavaScript, served by the app."""
