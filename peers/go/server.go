// A small HTTP/2 server on Go's net/http for the peer recipe peers/go.sh: GET serves the
// document root, POST answers 200 with the request body. With -cert and -key it serves TLS
// (HTTP/2 by ALPN, as net/http does by itself); without them HTTP/2 with prior knowledge
// (golang.org/x/net/http2/h2c).
package main

import (
	"flag"
	"io"
	"log"
	"net/http"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	root := flag.String("root", ".", "document root")
	cert := flag.String("cert", "", "certificate file (TLS)")
	key := flag.String("key", "", "key file (TLS)")
	flag.Parse()

	files := http.FileServer(http.Dir(*root))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			files.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	})

	if *cert != "" {
		server := &http.Server{Addr: *addr, Handler: handler}
		log.Fatal(server.ListenAndServeTLS(*cert, *key))
	}
	server := &http.Server{Addr: *addr, Handler: h2c.NewHandler(handler, &http2.Server{})}
	log.Fatal(server.ListenAndServe())
}
