# Kompromiss: multi-stage build of the server binary and the browser bundle; non-root runtime.
# The build stage runs scripts/build-release.sh, the same script CI runs, so what CI tests is
# what this image contains.

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN rustup target add wasm32-unknown-unknown \
 && scripts/build-release.sh

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --create-home kompromiss
COPY --from=build /src/target/release/kompromiss /usr/local/bin/kompromiss
COPY --from=build /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    KOMPROMISS_BIND=0.0.0.0:3000 \
    KOMPROMISS_DATA_DIR=/data \
    KOMPROMISS_LOG_FORMAT=json
USER kompromiss
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["kompromiss", "health"]
ENTRYPOINT ["kompromiss"]
CMD ["serve"]
