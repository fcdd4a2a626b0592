// SPDX-License-Identifier: Apache-2.0
// Minimal "hello JSON" server on Gin (Debian golang-github-gin-gonic-gin-dev).
// Usage: gin [PORT]   (default 8080)
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	port := "8080"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New() // no logger middleware: the benchmark measures the framework, not log I/O
	r.GET("/json", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"message": "Hello, World!"})
	})
	log.Fatal(r.Run("127.0.0.1:" + port))
}
