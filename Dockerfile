# One image for every strata process; the command picks the part (see docker-compose.yml).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends qemu-system-x86 qemu-utils qemu-block-extra tgt ovmf \
      nasm mtools dosfstools grub-efi-amd64-bin grub-common ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/strata
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV STRATA_DATA_DIR=/var/lib/strata
ENTRYPOINT ["node", "bin/strata.js"]
CMD ["help"]
