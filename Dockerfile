# Build a static binary, then run it as a non-root user in a slim Debian with Tesseract.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/complaintbot .

# The runtime is Debian, not distroless, because screenshots are read by the tesseract command
# (package ocr) with its Simplified Chinese model. The user is distroless's nonroot (65532),
# so volumes and files keep their owner.
FROM debian:bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim ca-certificates tzdata \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --system --uid 65532 --user-group --no-create-home --shell /usr/sbin/nologin nonroot
COPY --from=build /out/complaintbot /complaintbot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/complaintbot"]
CMD ["serve"]
