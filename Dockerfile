# Build a static binary, then run it as a non-root user in a minimal image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/complaintbot .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/complaintbot /complaintbot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/complaintbot"]
CMD ["serve"]
