# SPDX-License-Identifier: Apache-2.0
"""Minimal "hello JSON" server on Flask (Debian python3-flask), served by gunicorn.

    /usr/bin/python3 -m gunicorn --workers 1 --bind 127.0.0.1:8080 flask_app:app
"""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/json")
def hello():
    return jsonify(message="Hello, World!")
