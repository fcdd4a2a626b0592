# SPDX-License-Identifier: Apache-2.0
"""Minimal "hello JSON" server on FastAPI (Debian python3-fastapi), served by uvicorn.

    /usr/bin/python3 -m uvicorn fastapi_app:app --host 127.0.0.1 --port 8080 --workers 1 --no-access-log
"""
from fastapi import FastAPI

app = FastAPI()


@app.get("/json")
def hello():
    return {"message": "Hello, World!"}
