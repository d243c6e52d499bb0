package floor;

import io.quarkus.scheduler.Scheduled;

/** One scheduled job, so that the scheduler starts as it does for the service's maintenance jobs. */
public class Sweep {

    @Scheduled(every = "1h", delayed = "1h")
    void run() {
        // Nothing to do: the job exists to start the scheduler.
    }
}
