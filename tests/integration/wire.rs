// The wire tests are being written.
