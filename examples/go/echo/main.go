// SPDX-License-Identifier: Apache-2.0
// Minimal "hello JSON" server on Echo v4 (Debian golang-github-labstack-echo-dev).
// Built in GOPATH mode (GO111MODULE=off), so the import path is the v4 package's
// directory under /usr/share/gocode without the /v4 module suffix.
// Usage: echo [PORT]   (default 8080)
package main

import (
	"net/http"
	"os"

	echo "github.com/labstack/echo" // Debian ships Echo v4 at this GOPATH path (GOPATH mode has no /v4)
)

func main() {
	port := "8080"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.GET("/json", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"message": "Hello, World!"})
	})
	e.Logger.Fatal(e.Start("127.0.0.1:" + port))
}
