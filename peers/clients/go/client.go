// One HTTP/2 GET with net/http and golang.org/x/net/http2: body to stdout, exit 0 for a
// complete response whatever its status (net/http accepted it; a status other than 2xx is
// written to stderr), non-zero when net/http reported an error.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/net/http2"
)

func main() {
	url := os.Args[1]
	transport := &http2.Transport{}
	if len(os.Args) > 2 && os.Args[2] != "" {
		pem, err := os.ReadFile(os.Args[2])
		if err != nil {
			fail(2, err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		transport.TLSClientConfig = &tls.Config{RootCAs: pool}
	} else {
		transport.AllowHTTP = true // h2c with prior knowledge
		transport.DialTLSContext = func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
	client := &http.Client{Transport: transport, Timeout: 20 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fail(2, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		fail(2, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(os.Stderr, "status %d\n", resp.StatusCode)
	}
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(code)
}
