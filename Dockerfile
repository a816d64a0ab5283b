# geofa-sync's image: the executable jar on a Java 17 runtime. Build the jar first:
#   ./mvnw -B -ntp package -DskipTests && docker build -t geofa-sync .
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /opt/geofa-sync geofa-sync && mkdir -p /var/log/geofa-sync && chown geofa-sync /var/log/geofa-sync
WORKDIR /opt/geofa-sync
COPY app/target/geofa-sync.jar geofa-sync.jar
COPY config config
ENV GEOFA_SYNC_LOG_DIR=/var/log/geofa-sync
USER geofa-sync
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/geofa-sync/geofa-sync.jar"]
CMD ["run"]
