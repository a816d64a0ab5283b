# geofa-sync's image: the executable jar on a Java 17 runtime. Build the jars first:
#   ./mvnw -B -ntp package -DskipTests && docker build -t geofa-sync .
# The default (last) stage is the production image, without the sandbox; docker compose's sandbox
# profile builds the "sandbox" stage, which adds the demo jar (fake GeoFA, sample data).
FROM eclipse-temurin:17-jre AS base
RUN useradd --system --home-dir /opt/geofa-sync geofa-sync && mkdir -p /var/log/geofa-sync && chown geofa-sync /var/log/geofa-sync
WORKDIR /opt/geofa-sync
COPY app/target/geofa-sync.jar geofa-sync.jar
COPY config config
ENV GEOFA_SYNC_LOG_DIR=/var/log/geofa-sync
USER geofa-sync
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/geofa-sync/geofa-sync.jar"]
CMD ["run"]

FROM base AS sandbox
COPY demo/target/geofa-sync-demo.jar geofa-sync-demo.jar

FROM base AS production
