// Command complaintbot helps people charged unexpectedly by payment-terminal (POS) providers
// turn their story into a complaint a consumer association will act on, over Telegram, and
// hands the hard cases to staff.
//
//	complaintbot chat    a local conversation in the terminal (no setup needed)
//	complaintbot serve   the Telegram bot (see README.md for its settings)
//
// The program is package app; main only gives it the process's world.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"complaintbot/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "complaintbot:", err)
		os.Exit(1)
	}
}
