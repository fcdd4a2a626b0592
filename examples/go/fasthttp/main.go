// SPDX-License-Identifier: Apache-2.0
// Minimal "hello JSON" server on fasthttp (Debian golang-github-valyala-fasthttp-dev),
// the engine under Fiber (Fiber itself is not packaged in Debian).
// Usage: fasthttp [PORT]   (default 8080)
package main

import (
	"encoding/json"
	"log"
	"os"

	"github.com/valyala/fasthttp"
)

type message struct {
	Message string `json:"message"`
}

func main() {
	port := "8080"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	handler := func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) != "/json" {
			ctx.Error("Not Found", fasthttp.StatusNotFound)
			return
		}
		body, _ := json.Marshal(message{Message: "Hello, World!"})
		ctx.SetContentType("application/json")
		ctx.SetBody(body)
	}
	log.Fatal(fasthttp.ListenAndServe("127.0.0.1:"+port, handler))
}
