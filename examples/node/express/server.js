// SPDX-License-Identifier: Apache-2.0
// Minimal "hello JSON" server on Express (from npm), one Node process.
// Usage: node server.js [PORT]   (default 8080)
'use strict';
const express = require('express');

const port = Number(process.argv[2] || 8080);
const app = express();
app.disable('x-powered-by');
app.get('/json', (req, res) => {
  res.json({ message: 'Hello, World!' });
});
app.listen(port, '127.0.0.1');
