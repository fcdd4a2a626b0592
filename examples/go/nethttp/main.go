// SPDX-License-Identifier: Apache-2.0
// Minimal "hello JSON" server on Go's standard library (net/http).
// Usage: nethttp [PORT]   (default 8080)
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

type message struct {
	Message string `json:"message"`
}

func main() {
	port := "8080"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	http.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(message{Message: "Hello, World!"})
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, nil))
}
