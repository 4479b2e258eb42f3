package ocr_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"complaintbot/ocr"
)

// A program checks once at start-up whether it can read screenshots, logs it when it
// cannot, and holds the Reader either way: a nil Reader answers ErrNotInstalled.
func ExampleNew() {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	reader, err := ocr.New(ctx, ocr.Options{Concurrency: 2})
	if err != nil {
		logger.Warn("screenshots are not read", "err", err) // names what is missing, never a user's data
	}

	data, _ := os.ReadFile("screenshot.jpg") // in the bot: the photo downloaded with getFile
	text, err := reader.Read(ctx, data)
	switch {
	case errors.Is(err, ocr.ErrNotInstalled), errors.Is(err, ocr.ErrNotImage), errors.Is(err, ocr.ErrTooLarge):
		// treat the image as evidence without reading it
	case err != nil:
		logger.Error("read screenshot", "err", err)
	default:
		_ = text // give it to the text reader, as if the user had pasted it
	}
}

func ExampleNormalize() {
	fmt.Println(ocr.Normalize("注 销 服 务 费 １９９. 00 元 已 从 结 算 款 中 扣 除\n\n2024-06-10 09:12:33 调账”流量卡服务费 -99.00 结算账户\f"))
	// Output:
	// 注销服务费 199.00 元已从结算款中扣除
	// 2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户
}
