package dev.stripeconnector.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The view {@code installation_state} (V12) against a table written out by hand: for every
 * combination of the account's own and the console's client ID, secret key and platform account,
 * the stored status and the tokens, what the installation effectively uses, where each value comes
 * from, what is missing, the status the API shows, and whether it is connected and holds a
 * connection. The rows are written into the real database, the console's row set per group of rows
 * that share the console's values, and read back from the view.
 */
@QuarkusTest
class InstallationStateTest {

    /**
     * One row per combination. Inputs: {@code set}/{@code known} or {@code -} (absent), the stored
     * status, the tokens {@code kept} or {@code wiped} (the connected account id stays). Expected:
     * whose client ID, secret key and platform account the installation uses ({@code own}, the
     * {@code console}'s, or {@code -} none), what is missing ({@code id}: clientId, {@code key}:
     * clientSecret), the status as the API shows it, connected, and has a connection.
     */
    private static final String TABLE = """
            own console own console own      console  stored    tokens | client  secret  platform missing status            connected has
            id  id      key key     platform platform status           | ID      key     account                                      connection
            set set     set set     known    known    PENDING   kept   | own     own     own      -       pending           no        yes
            set set     set set     known    known    PENDING   wiped  | own     own     own      -       pending           no        no
            set set     set set     known    known    CONNECTED kept   | own     own     own      -       connected         yes       yes
            set set     set set     known    known    CONNECTED wiped  | own     own     own      -       connected         no        no
            set set     set set     known    known    REVOKED   kept   | own     own     own      -       revoked           no        yes
            set set     set set     known    known    REVOKED   wiped  | own     own     own      -       revoked           no        no
            set set     set set     known    known    ERROR     kept   | own     own     own      -       error             no        yes
            set set     set set     known    known    ERROR     wiped  | own     own     own      -       error             no        no
            set set     set set     known    -        PENDING   kept   | own     own     own      -       pending           no        yes
            set set     set set     known    -        PENDING   wiped  | own     own     own      -       pending           no        no
            set set     set set     known    -        CONNECTED kept   | own     own     own      -       connected         yes       yes
            set set     set set     known    -        CONNECTED wiped  | own     own     own      -       connected         no        no
            set set     set set     known    -        REVOKED   kept   | own     own     own      -       revoked           no        yes
            set set     set set     known    -        REVOKED   wiped  | own     own     own      -       revoked           no        no
            set set     set set     known    -        ERROR     kept   | own     own     own      -       error             no        yes
            set set     set set     known    -        ERROR     wiped  | own     own     own      -       error             no        no
            set set     set set     -        known    PENDING   kept   | own     own     -        -       pending           no        yes
            set set     set set     -        known    PENDING   wiped  | own     own     -        -       pending           no        no
            set set     set set     -        known    CONNECTED kept   | own     own     -        -       connected         yes       yes
            set set     set set     -        known    CONNECTED wiped  | own     own     -        -       connected         no        no
            set set     set set     -        known    REVOKED   kept   | own     own     -        -       revoked           no        yes
            set set     set set     -        known    REVOKED   wiped  | own     own     -        -       revoked           no        no
            set set     set set     -        known    ERROR     kept   | own     own     -        -       error             no        yes
            set set     set set     -        known    ERROR     wiped  | own     own     -        -       error             no        no
            set set     set set     -        -        PENDING   kept   | own     own     -        -       pending           no        yes
            set set     set set     -        -        PENDING   wiped  | own     own     -        -       pending           no        no
            set set     set set     -        -        CONNECTED kept   | own     own     -        -       connected         yes       yes
            set set     set set     -        -        CONNECTED wiped  | own     own     -        -       connected         no        no
            set set     set set     -        -        REVOKED   kept   | own     own     -        -       revoked           no        yes
            set set     set set     -        -        REVOKED   wiped  | own     own     -        -       revoked           no        no
            set set     set set     -        -        ERROR     kept   | own     own     -        -       error             no        yes
            set set     set set     -        -        ERROR     wiped  | own     own     -        -       error             no        no
            set set     set -       known    known    PENDING   kept   | own     own     own      -       pending           no        yes
            set set     set -       known    known    PENDING   wiped  | own     own     own      -       pending           no        no
            set set     set -       known    known    CONNECTED kept   | own     own     own      -       connected         yes       yes
            set set     set -       known    known    CONNECTED wiped  | own     own     own      -       connected         no        no
            set set     set -       known    known    REVOKED   kept   | own     own     own      -       revoked           no        yes
            set set     set -       known    known    REVOKED   wiped  | own     own     own      -       revoked           no        no
            set set     set -       known    known    ERROR     kept   | own     own     own      -       error             no        yes
            set set     set -       known    known    ERROR     wiped  | own     own     own      -       error             no        no
            set set     set -       known    -        PENDING   kept   | own     own     own      -       pending           no        yes
            set set     set -       known    -        PENDING   wiped  | own     own     own      -       pending           no        no
            set set     set -       known    -        CONNECTED kept   | own     own     own      -       connected         yes       yes
            set set     set -       known    -        CONNECTED wiped  | own     own     own      -       connected         no        no
            set set     set -       known    -        REVOKED   kept   | own     own     own      -       revoked           no        yes
            set set     set -       known    -        REVOKED   wiped  | own     own     own      -       revoked           no        no
            set set     set -       known    -        ERROR     kept   | own     own     own      -       error             no        yes
            set set     set -       known    -        ERROR     wiped  | own     own     own      -       error             no        no
            set set     set -       -        known    PENDING   kept   | own     own     -        -       pending           no        yes
            set set     set -       -        known    PENDING   wiped  | own     own     -        -       pending           no        no
            set set     set -       -        known    CONNECTED kept   | own     own     -        -       connected         yes       yes
            set set     set -       -        known    CONNECTED wiped  | own     own     -        -       connected         no        no
            set set     set -       -        known    REVOKED   kept   | own     own     -        -       revoked           no        yes
            set set     set -       -        known    REVOKED   wiped  | own     own     -        -       revoked           no        no
            set set     set -       -        known    ERROR     kept   | own     own     -        -       error             no        yes
            set set     set -       -        known    ERROR     wiped  | own     own     -        -       error             no        no
            set set     set -       -        -        PENDING   kept   | own     own     -        -       pending           no        yes
            set set     set -       -        -        PENDING   wiped  | own     own     -        -       pending           no        no
            set set     set -       -        -        CONNECTED kept   | own     own     -        -       connected         yes       yes
            set set     set -       -        -        CONNECTED wiped  | own     own     -        -       connected         no        no
            set set     set -       -        -        REVOKED   kept   | own     own     -        -       revoked           no        yes
            set set     set -       -        -        REVOKED   wiped  | own     own     -        -       revoked           no        no
            set set     set -       -        -        ERROR     kept   | own     own     -        -       error             no        yes
            set set     set -       -        -        ERROR     wiped  | own     own     -        -       error             no        no
            set set     -   set     known    known    PENDING   kept   | own     console console  -       pending           no        yes
            set set     -   set     known    known    PENDING   wiped  | own     console console  -       pending           no        no
            set set     -   set     known    known    CONNECTED kept   | own     console console  -       connected         yes       yes
            set set     -   set     known    known    CONNECTED wiped  | own     console console  -       connected         no        no
            set set     -   set     known    known    REVOKED   kept   | own     console console  -       revoked           no        yes
            set set     -   set     known    known    REVOKED   wiped  | own     console console  -       revoked           no        no
            set set     -   set     known    known    ERROR     kept   | own     console console  -       error             no        yes
            set set     -   set     known    known    ERROR     wiped  | own     console console  -       error             no        no
            set set     -   set     known    -        PENDING   kept   | own     console -        -       pending           no        yes
            set set     -   set     known    -        PENDING   wiped  | own     console -        -       pending           no        no
            set set     -   set     known    -        CONNECTED kept   | own     console -        -       connected         yes       yes
            set set     -   set     known    -        CONNECTED wiped  | own     console -        -       connected         no        no
            set set     -   set     known    -        REVOKED   kept   | own     console -        -       revoked           no        yes
            set set     -   set     known    -        REVOKED   wiped  | own     console -        -       revoked           no        no
            set set     -   set     known    -        ERROR     kept   | own     console -        -       error             no        yes
            set set     -   set     known    -        ERROR     wiped  | own     console -        -       error             no        no
            set set     -   set     -        known    PENDING   kept   | own     console console  -       pending           no        yes
            set set     -   set     -        known    PENDING   wiped  | own     console console  -       pending           no        no
            set set     -   set     -        known    CONNECTED kept   | own     console console  -       connected         yes       yes
            set set     -   set     -        known    CONNECTED wiped  | own     console console  -       connected         no        no
            set set     -   set     -        known    REVOKED   kept   | own     console console  -       revoked           no        yes
            set set     -   set     -        known    REVOKED   wiped  | own     console console  -       revoked           no        no
            set set     -   set     -        known    ERROR     kept   | own     console console  -       error             no        yes
            set set     -   set     -        known    ERROR     wiped  | own     console console  -       error             no        no
            set set     -   set     -        -        PENDING   kept   | own     console -        -       pending           no        yes
            set set     -   set     -        -        PENDING   wiped  | own     console -        -       pending           no        no
            set set     -   set     -        -        CONNECTED kept   | own     console -        -       connected         yes       yes
            set set     -   set     -        -        CONNECTED wiped  | own     console -        -       connected         no        no
            set set     -   set     -        -        REVOKED   kept   | own     console -        -       revoked           no        yes
            set set     -   set     -        -        REVOKED   wiped  | own     console -        -       revoked           no        no
            set set     -   set     -        -        ERROR     kept   | own     console -        -       error             no        yes
            set set     -   set     -        -        ERROR     wiped  | own     console -        -       error             no        no
            set set     -   -       known    known    PENDING   kept   | own     -       console  key     needs_credentials no        yes
            set set     -   -       known    known    PENDING   wiped  | own     -       console  key     needs_credentials no        no
            set set     -   -       known    known    CONNECTED kept   | own     -       console  key     connected         yes       yes
            set set     -   -       known    known    CONNECTED wiped  | own     -       console  key     connected         no        no
            set set     -   -       known    known    REVOKED   kept   | own     -       console  key     revoked           no        yes
            set set     -   -       known    known    REVOKED   wiped  | own     -       console  key     revoked           no        no
            set set     -   -       known    known    ERROR     kept   | own     -       console  key     error             no        yes
            set set     -   -       known    known    ERROR     wiped  | own     -       console  key     error             no        no
            set set     -   -       known    -        PENDING   kept   | own     -       -        key     needs_credentials no        yes
            set set     -   -       known    -        PENDING   wiped  | own     -       -        key     needs_credentials no        no
            set set     -   -       known    -        CONNECTED kept   | own     -       -        key     connected         yes       yes
            set set     -   -       known    -        CONNECTED wiped  | own     -       -        key     connected         no        no
            set set     -   -       known    -        REVOKED   kept   | own     -       -        key     revoked           no        yes
            set set     -   -       known    -        REVOKED   wiped  | own     -       -        key     revoked           no        no
            set set     -   -       known    -        ERROR     kept   | own     -       -        key     error             no        yes
            set set     -   -       known    -        ERROR     wiped  | own     -       -        key     error             no        no
            set set     -   -       -        known    PENDING   kept   | own     -       console  key     needs_credentials no        yes
            set set     -   -       -        known    PENDING   wiped  | own     -       console  key     needs_credentials no        no
            set set     -   -       -        known    CONNECTED kept   | own     -       console  key     connected         yes       yes
            set set     -   -       -        known    CONNECTED wiped  | own     -       console  key     connected         no        no
            set set     -   -       -        known    REVOKED   kept   | own     -       console  key     revoked           no        yes
            set set     -   -       -        known    REVOKED   wiped  | own     -       console  key     revoked           no        no
            set set     -   -       -        known    ERROR     kept   | own     -       console  key     error             no        yes
            set set     -   -       -        known    ERROR     wiped  | own     -       console  key     error             no        no
            set set     -   -       -        -        PENDING   kept   | own     -       -        key     needs_credentials no        yes
            set set     -   -       -        -        PENDING   wiped  | own     -       -        key     needs_credentials no        no
            set set     -   -       -        -        CONNECTED kept   | own     -       -        key     connected         yes       yes
            set set     -   -       -        -        CONNECTED wiped  | own     -       -        key     connected         no        no
            set set     -   -       -        -        REVOKED   kept   | own     -       -        key     revoked           no        yes
            set set     -   -       -        -        REVOKED   wiped  | own     -       -        key     revoked           no        no
            set set     -   -       -        -        ERROR     kept   | own     -       -        key     error             no        yes
            set set     -   -       -        -        ERROR     wiped  | own     -       -        key     error             no        no
            set -       set set     known    known    PENDING   kept   | own     own     own      -       pending           no        yes
            set -       set set     known    known    PENDING   wiped  | own     own     own      -       pending           no        no
            set -       set set     known    known    CONNECTED kept   | own     own     own      -       connected         yes       yes
            set -       set set     known    known    CONNECTED wiped  | own     own     own      -       connected         no        no
            set -       set set     known    known    REVOKED   kept   | own     own     own      -       revoked           no        yes
            set -       set set     known    known    REVOKED   wiped  | own     own     own      -       revoked           no        no
            set -       set set     known    known    ERROR     kept   | own     own     own      -       error             no        yes
            set -       set set     known    known    ERROR     wiped  | own     own     own      -       error             no        no
            set -       set set     known    -        PENDING   kept   | own     own     own      -       pending           no        yes
            set -       set set     known    -        PENDING   wiped  | own     own     own      -       pending           no        no
            set -       set set     known    -        CONNECTED kept   | own     own     own      -       connected         yes       yes
            set -       set set     known    -        CONNECTED wiped  | own     own     own      -       connected         no        no
            set -       set set     known    -        REVOKED   kept   | own     own     own      -       revoked           no        yes
            set -       set set     known    -        REVOKED   wiped  | own     own     own      -       revoked           no        no
            set -       set set     known    -        ERROR     kept   | own     own     own      -       error             no        yes
            set -       set set     known    -        ERROR     wiped  | own     own     own      -       error             no        no
            set -       set set     -        known    PENDING   kept   | own     own     -        -       pending           no        yes
            set -       set set     -        known    PENDING   wiped  | own     own     -        -       pending           no        no
            set -       set set     -        known    CONNECTED kept   | own     own     -        -       connected         yes       yes
            set -       set set     -        known    CONNECTED wiped  | own     own     -        -       connected         no        no
            set -       set set     -        known    REVOKED   kept   | own     own     -        -       revoked           no        yes
            set -       set set     -        known    REVOKED   wiped  | own     own     -        -       revoked           no        no
            set -       set set     -        known    ERROR     kept   | own     own     -        -       error             no        yes
            set -       set set     -        known    ERROR     wiped  | own     own     -        -       error             no        no
            set -       set set     -        -        PENDING   kept   | own     own     -        -       pending           no        yes
            set -       set set     -        -        PENDING   wiped  | own     own     -        -       pending           no        no
            set -       set set     -        -        CONNECTED kept   | own     own     -        -       connected         yes       yes
            set -       set set     -        -        CONNECTED wiped  | own     own     -        -       connected         no        no
            set -       set set     -        -        REVOKED   kept   | own     own     -        -       revoked           no        yes
            set -       set set     -        -        REVOKED   wiped  | own     own     -        -       revoked           no        no
            set -       set set     -        -        ERROR     kept   | own     own     -        -       error             no        yes
            set -       set set     -        -        ERROR     wiped  | own     own     -        -       error             no        no
            set -       set -       known    known    PENDING   kept   | own     own     own      -       pending           no        yes
            set -       set -       known    known    PENDING   wiped  | own     own     own      -       pending           no        no
            set -       set -       known    known    CONNECTED kept   | own     own     own      -       connected         yes       yes
            set -       set -       known    known    CONNECTED wiped  | own     own     own      -       connected         no        no
            set -       set -       known    known    REVOKED   kept   | own     own     own      -       revoked           no        yes
            set -       set -       known    known    REVOKED   wiped  | own     own     own      -       revoked           no        no
            set -       set -       known    known    ERROR     kept   | own     own     own      -       error             no        yes
            set -       set -       known    known    ERROR     wiped  | own     own     own      -       error             no        no
            set -       set -       known    -        PENDING   kept   | own     own     own      -       pending           no        yes
            set -       set -       known    -        PENDING   wiped  | own     own     own      -       pending           no        no
            set -       set -       known    -        CONNECTED kept   | own     own     own      -       connected         yes       yes
            set -       set -       known    -        CONNECTED wiped  | own     own     own      -       connected         no        no
            set -       set -       known    -        REVOKED   kept   | own     own     own      -       revoked           no        yes
            set -       set -       known    -        REVOKED   wiped  | own     own     own      -       revoked           no        no
            set -       set -       known    -        ERROR     kept   | own     own     own      -       error             no        yes
            set -       set -       known    -        ERROR     wiped  | own     own     own      -       error             no        no
            set -       set -       -        known    PENDING   kept   | own     own     -        -       pending           no        yes
            set -       set -       -        known    PENDING   wiped  | own     own     -        -       pending           no        no
            set -       set -       -        known    CONNECTED kept   | own     own     -        -       connected         yes       yes
            set -       set -       -        known    CONNECTED wiped  | own     own     -        -       connected         no        no
            set -       set -       -        known    REVOKED   kept   | own     own     -        -       revoked           no        yes
            set -       set -       -        known    REVOKED   wiped  | own     own     -        -       revoked           no        no
            set -       set -       -        known    ERROR     kept   | own     own     -        -       error             no        yes
            set -       set -       -        known    ERROR     wiped  | own     own     -        -       error             no        no
            set -       set -       -        -        PENDING   kept   | own     own     -        -       pending           no        yes
            set -       set -       -        -        PENDING   wiped  | own     own     -        -       pending           no        no
            set -       set -       -        -        CONNECTED kept   | own     own     -        -       connected         yes       yes
            set -       set -       -        -        CONNECTED wiped  | own     own     -        -       connected         no        no
            set -       set -       -        -        REVOKED   kept   | own     own     -        -       revoked           no        yes
            set -       set -       -        -        REVOKED   wiped  | own     own     -        -       revoked           no        no
            set -       set -       -        -        ERROR     kept   | own     own     -        -       error             no        yes
            set -       set -       -        -        ERROR     wiped  | own     own     -        -       error             no        no
            set -       -   set     known    known    PENDING   kept   | own     console console  -       pending           no        yes
            set -       -   set     known    known    PENDING   wiped  | own     console console  -       pending           no        no
            set -       -   set     known    known    CONNECTED kept   | own     console console  -       connected         yes       yes
            set -       -   set     known    known    CONNECTED wiped  | own     console console  -       connected         no        no
            set -       -   set     known    known    REVOKED   kept   | own     console console  -       revoked           no        yes
            set -       -   set     known    known    REVOKED   wiped  | own     console console  -       revoked           no        no
            set -       -   set     known    known    ERROR     kept   | own     console console  -       error             no        yes
            set -       -   set     known    known    ERROR     wiped  | own     console console  -       error             no        no
            set -       -   set     known    -        PENDING   kept   | own     console -        -       pending           no        yes
            set -       -   set     known    -        PENDING   wiped  | own     console -        -       pending           no        no
            set -       -   set     known    -        CONNECTED kept   | own     console -        -       connected         yes       yes
            set -       -   set     known    -        CONNECTED wiped  | own     console -        -       connected         no        no
            set -       -   set     known    -        REVOKED   kept   | own     console -        -       revoked           no        yes
            set -       -   set     known    -        REVOKED   wiped  | own     console -        -       revoked           no        no
            set -       -   set     known    -        ERROR     kept   | own     console -        -       error             no        yes
            set -       -   set     known    -        ERROR     wiped  | own     console -        -       error             no        no
            set -       -   set     -        known    PENDING   kept   | own     console console  -       pending           no        yes
            set -       -   set     -        known    PENDING   wiped  | own     console console  -       pending           no        no
            set -       -   set     -        known    CONNECTED kept   | own     console console  -       connected         yes       yes
            set -       -   set     -        known    CONNECTED wiped  | own     console console  -       connected         no        no
            set -       -   set     -        known    REVOKED   kept   | own     console console  -       revoked           no        yes
            set -       -   set     -        known    REVOKED   wiped  | own     console console  -       revoked           no        no
            set -       -   set     -        known    ERROR     kept   | own     console console  -       error             no        yes
            set -       -   set     -        known    ERROR     wiped  | own     console console  -       error             no        no
            set -       -   set     -        -        PENDING   kept   | own     console -        -       pending           no        yes
            set -       -   set     -        -        PENDING   wiped  | own     console -        -       pending           no        no
            set -       -   set     -        -        CONNECTED kept   | own     console -        -       connected         yes       yes
            set -       -   set     -        -        CONNECTED wiped  | own     console -        -       connected         no        no
            set -       -   set     -        -        REVOKED   kept   | own     console -        -       revoked           no        yes
            set -       -   set     -        -        REVOKED   wiped  | own     console -        -       revoked           no        no
            set -       -   set     -        -        ERROR     kept   | own     console -        -       error             no        yes
            set -       -   set     -        -        ERROR     wiped  | own     console -        -       error             no        no
            set -       -   -       known    known    PENDING   kept   | own     -       console  key     needs_credentials no        yes
            set -       -   -       known    known    PENDING   wiped  | own     -       console  key     needs_credentials no        no
            set -       -   -       known    known    CONNECTED kept   | own     -       console  key     connected         yes       yes
            set -       -   -       known    known    CONNECTED wiped  | own     -       console  key     connected         no        no
            set -       -   -       known    known    REVOKED   kept   | own     -       console  key     revoked           no        yes
            set -       -   -       known    known    REVOKED   wiped  | own     -       console  key     revoked           no        no
            set -       -   -       known    known    ERROR     kept   | own     -       console  key     error             no        yes
            set -       -   -       known    known    ERROR     wiped  | own     -       console  key     error             no        no
            set -       -   -       known    -        PENDING   kept   | own     -       -        key     needs_credentials no        yes
            set -       -   -       known    -        PENDING   wiped  | own     -       -        key     needs_credentials no        no
            set -       -   -       known    -        CONNECTED kept   | own     -       -        key     connected         yes       yes
            set -       -   -       known    -        CONNECTED wiped  | own     -       -        key     connected         no        no
            set -       -   -       known    -        REVOKED   kept   | own     -       -        key     revoked           no        yes
            set -       -   -       known    -        REVOKED   wiped  | own     -       -        key     revoked           no        no
            set -       -   -       known    -        ERROR     kept   | own     -       -        key     error             no        yes
            set -       -   -       known    -        ERROR     wiped  | own     -       -        key     error             no        no
            set -       -   -       -        known    PENDING   kept   | own     -       console  key     needs_credentials no        yes
            set -       -   -       -        known    PENDING   wiped  | own     -       console  key     needs_credentials no        no
            set -       -   -       -        known    CONNECTED kept   | own     -       console  key     connected         yes       yes
            set -       -   -       -        known    CONNECTED wiped  | own     -       console  key     connected         no        no
            set -       -   -       -        known    REVOKED   kept   | own     -       console  key     revoked           no        yes
            set -       -   -       -        known    REVOKED   wiped  | own     -       console  key     revoked           no        no
            set -       -   -       -        known    ERROR     kept   | own     -       console  key     error             no        yes
            set -       -   -       -        known    ERROR     wiped  | own     -       console  key     error             no        no
            set -       -   -       -        -        PENDING   kept   | own     -       -        key     needs_credentials no        yes
            set -       -   -       -        -        PENDING   wiped  | own     -       -        key     needs_credentials no        no
            set -       -   -       -        -        CONNECTED kept   | own     -       -        key     connected         yes       yes
            set -       -   -       -        -        CONNECTED wiped  | own     -       -        key     connected         no        no
            set -       -   -       -        -        REVOKED   kept   | own     -       -        key     revoked           no        yes
            set -       -   -       -        -        REVOKED   wiped  | own     -       -        key     revoked           no        no
            set -       -   -       -        -        ERROR     kept   | own     -       -        key     error             no        yes
            set -       -   -       -        -        ERROR     wiped  | own     -       -        key     error             no        no
            -   set     set set     known    known    PENDING   kept   | console own     own      -       pending           no        yes
            -   set     set set     known    known    PENDING   wiped  | console own     own      -       pending           no        no
            -   set     set set     known    known    CONNECTED kept   | console own     own      -       connected         yes       yes
            -   set     set set     known    known    CONNECTED wiped  | console own     own      -       connected         no        no
            -   set     set set     known    known    REVOKED   kept   | console own     own      -       revoked           no        yes
            -   set     set set     known    known    REVOKED   wiped  | console own     own      -       revoked           no        no
            -   set     set set     known    known    ERROR     kept   | console own     own      -       error             no        yes
            -   set     set set     known    known    ERROR     wiped  | console own     own      -       error             no        no
            -   set     set set     known    -        PENDING   kept   | console own     own      -       pending           no        yes
            -   set     set set     known    -        PENDING   wiped  | console own     own      -       pending           no        no
            -   set     set set     known    -        CONNECTED kept   | console own     own      -       connected         yes       yes
            -   set     set set     known    -        CONNECTED wiped  | console own     own      -       connected         no        no
            -   set     set set     known    -        REVOKED   kept   | console own     own      -       revoked           no        yes
            -   set     set set     known    -        REVOKED   wiped  | console own     own      -       revoked           no        no
            -   set     set set     known    -        ERROR     kept   | console own     own      -       error             no        yes
            -   set     set set     known    -        ERROR     wiped  | console own     own      -       error             no        no
            -   set     set set     -        known    PENDING   kept   | console own     -        -       pending           no        yes
            -   set     set set     -        known    PENDING   wiped  | console own     -        -       pending           no        no
            -   set     set set     -        known    CONNECTED kept   | console own     -        -       connected         yes       yes
            -   set     set set     -        known    CONNECTED wiped  | console own     -        -       connected         no        no
            -   set     set set     -        known    REVOKED   kept   | console own     -        -       revoked           no        yes
            -   set     set set     -        known    REVOKED   wiped  | console own     -        -       revoked           no        no
            -   set     set set     -        known    ERROR     kept   | console own     -        -       error             no        yes
            -   set     set set     -        known    ERROR     wiped  | console own     -        -       error             no        no
            -   set     set set     -        -        PENDING   kept   | console own     -        -       pending           no        yes
            -   set     set set     -        -        PENDING   wiped  | console own     -        -       pending           no        no
            -   set     set set     -        -        CONNECTED kept   | console own     -        -       connected         yes       yes
            -   set     set set     -        -        CONNECTED wiped  | console own     -        -       connected         no        no
            -   set     set set     -        -        REVOKED   kept   | console own     -        -       revoked           no        yes
            -   set     set set     -        -        REVOKED   wiped  | console own     -        -       revoked           no        no
            -   set     set set     -        -        ERROR     kept   | console own     -        -       error             no        yes
            -   set     set set     -        -        ERROR     wiped  | console own     -        -       error             no        no
            -   set     set -       known    known    PENDING   kept   | console own     own      -       pending           no        yes
            -   set     set -       known    known    PENDING   wiped  | console own     own      -       pending           no        no
            -   set     set -       known    known    CONNECTED kept   | console own     own      -       connected         yes       yes
            -   set     set -       known    known    CONNECTED wiped  | console own     own      -       connected         no        no
            -   set     set -       known    known    REVOKED   kept   | console own     own      -       revoked           no        yes
            -   set     set -       known    known    REVOKED   wiped  | console own     own      -       revoked           no        no
            -   set     set -       known    known    ERROR     kept   | console own     own      -       error             no        yes
            -   set     set -       known    known    ERROR     wiped  | console own     own      -       error             no        no
            -   set     set -       known    -        PENDING   kept   | console own     own      -       pending           no        yes
            -   set     set -       known    -        PENDING   wiped  | console own     own      -       pending           no        no
            -   set     set -       known    -        CONNECTED kept   | console own     own      -       connected         yes       yes
            -   set     set -       known    -        CONNECTED wiped  | console own     own      -       connected         no        no
            -   set     set -       known    -        REVOKED   kept   | console own     own      -       revoked           no        yes
            -   set     set -       known    -        REVOKED   wiped  | console own     own      -       revoked           no        no
            -   set     set -       known    -        ERROR     kept   | console own     own      -       error             no        yes
            -   set     set -       known    -        ERROR     wiped  | console own     own      -       error             no        no
            -   set     set -       -        known    PENDING   kept   | console own     -        -       pending           no        yes
            -   set     set -       -        known    PENDING   wiped  | console own     -        -       pending           no        no
            -   set     set -       -        known    CONNECTED kept   | console own     -        -       connected         yes       yes
            -   set     set -       -        known    CONNECTED wiped  | console own     -        -       connected         no        no
            -   set     set -       -        known    REVOKED   kept   | console own     -        -       revoked           no        yes
            -   set     set -       -        known    REVOKED   wiped  | console own     -        -       revoked           no        no
            -   set     set -       -        known    ERROR     kept   | console own     -        -       error             no        yes
            -   set     set -       -        known    ERROR     wiped  | console own     -        -       error             no        no
            -   set     set -       -        -        PENDING   kept   | console own     -        -       pending           no        yes
            -   set     set -       -        -        PENDING   wiped  | console own     -        -       pending           no        no
            -   set     set -       -        -        CONNECTED kept   | console own     -        -       connected         yes       yes
            -   set     set -       -        -        CONNECTED wiped  | console own     -        -       connected         no        no
            -   set     set -       -        -        REVOKED   kept   | console own     -        -       revoked           no        yes
            -   set     set -       -        -        REVOKED   wiped  | console own     -        -       revoked           no        no
            -   set     set -       -        -        ERROR     kept   | console own     -        -       error             no        yes
            -   set     set -       -        -        ERROR     wiped  | console own     -        -       error             no        no
            -   set     -   set     known    known    PENDING   kept   | console console console  -       pending           no        yes
            -   set     -   set     known    known    PENDING   wiped  | console console console  -       pending           no        no
            -   set     -   set     known    known    CONNECTED kept   | console console console  -       connected         yes       yes
            -   set     -   set     known    known    CONNECTED wiped  | console console console  -       connected         no        no
            -   set     -   set     known    known    REVOKED   kept   | console console console  -       revoked           no        yes
            -   set     -   set     known    known    REVOKED   wiped  | console console console  -       revoked           no        no
            -   set     -   set     known    known    ERROR     kept   | console console console  -       error             no        yes
            -   set     -   set     known    known    ERROR     wiped  | console console console  -       error             no        no
            -   set     -   set     known    -        PENDING   kept   | console console -        -       pending           no        yes
            -   set     -   set     known    -        PENDING   wiped  | console console -        -       pending           no        no
            -   set     -   set     known    -        CONNECTED kept   | console console -        -       connected         yes       yes
            -   set     -   set     known    -        CONNECTED wiped  | console console -        -       connected         no        no
            -   set     -   set     known    -        REVOKED   kept   | console console -        -       revoked           no        yes
            -   set     -   set     known    -        REVOKED   wiped  | console console -        -       revoked           no        no
            -   set     -   set     known    -        ERROR     kept   | console console -        -       error             no        yes
            -   set     -   set     known    -        ERROR     wiped  | console console -        -       error             no        no
            -   set     -   set     -        known    PENDING   kept   | console console console  -       pending           no        yes
            -   set     -   set     -        known    PENDING   wiped  | console console console  -       pending           no        no
            -   set     -   set     -        known    CONNECTED kept   | console console console  -       connected         yes       yes
            -   set     -   set     -        known    CONNECTED wiped  | console console console  -       connected         no        no
            -   set     -   set     -        known    REVOKED   kept   | console console console  -       revoked           no        yes
            -   set     -   set     -        known    REVOKED   wiped  | console console console  -       revoked           no        no
            -   set     -   set     -        known    ERROR     kept   | console console console  -       error             no        yes
            -   set     -   set     -        known    ERROR     wiped  | console console console  -       error             no        no
            -   set     -   set     -        -        PENDING   kept   | console console -        -       pending           no        yes
            -   set     -   set     -        -        PENDING   wiped  | console console -        -       pending           no        no
            -   set     -   set     -        -        CONNECTED kept   | console console -        -       connected         yes       yes
            -   set     -   set     -        -        CONNECTED wiped  | console console -        -       connected         no        no
            -   set     -   set     -        -        REVOKED   kept   | console console -        -       revoked           no        yes
            -   set     -   set     -        -        REVOKED   wiped  | console console -        -       revoked           no        no
            -   set     -   set     -        -        ERROR     kept   | console console -        -       error             no        yes
            -   set     -   set     -        -        ERROR     wiped  | console console -        -       error             no        no
            -   set     -   -       known    known    PENDING   kept   | console -       console  key     needs_credentials no        yes
            -   set     -   -       known    known    PENDING   wiped  | console -       console  key     needs_credentials no        no
            -   set     -   -       known    known    CONNECTED kept   | console -       console  key     connected         yes       yes
            -   set     -   -       known    known    CONNECTED wiped  | console -       console  key     connected         no        no
            -   set     -   -       known    known    REVOKED   kept   | console -       console  key     revoked           no        yes
            -   set     -   -       known    known    REVOKED   wiped  | console -       console  key     revoked           no        no
            -   set     -   -       known    known    ERROR     kept   | console -       console  key     error             no        yes
            -   set     -   -       known    known    ERROR     wiped  | console -       console  key     error             no        no
            -   set     -   -       known    -        PENDING   kept   | console -       -        key     needs_credentials no        yes
            -   set     -   -       known    -        PENDING   wiped  | console -       -        key     needs_credentials no        no
            -   set     -   -       known    -        CONNECTED kept   | console -       -        key     connected         yes       yes
            -   set     -   -       known    -        CONNECTED wiped  | console -       -        key     connected         no        no
            -   set     -   -       known    -        REVOKED   kept   | console -       -        key     revoked           no        yes
            -   set     -   -       known    -        REVOKED   wiped  | console -       -        key     revoked           no        no
            -   set     -   -       known    -        ERROR     kept   | console -       -        key     error             no        yes
            -   set     -   -       known    -        ERROR     wiped  | console -       -        key     error             no        no
            -   set     -   -       -        known    PENDING   kept   | console -       console  key     needs_credentials no        yes
            -   set     -   -       -        known    PENDING   wiped  | console -       console  key     needs_credentials no        no
            -   set     -   -       -        known    CONNECTED kept   | console -       console  key     connected         yes       yes
            -   set     -   -       -        known    CONNECTED wiped  | console -       console  key     connected         no        no
            -   set     -   -       -        known    REVOKED   kept   | console -       console  key     revoked           no        yes
            -   set     -   -       -        known    REVOKED   wiped  | console -       console  key     revoked           no        no
            -   set     -   -       -        known    ERROR     kept   | console -       console  key     error             no        yes
            -   set     -   -       -        known    ERROR     wiped  | console -       console  key     error             no        no
            -   set     -   -       -        -        PENDING   kept   | console -       -        key     needs_credentials no        yes
            -   set     -   -       -        -        PENDING   wiped  | console -       -        key     needs_credentials no        no
            -   set     -   -       -        -        CONNECTED kept   | console -       -        key     connected         yes       yes
            -   set     -   -       -        -        CONNECTED wiped  | console -       -        key     connected         no        no
            -   set     -   -       -        -        REVOKED   kept   | console -       -        key     revoked           no        yes
            -   set     -   -       -        -        REVOKED   wiped  | console -       -        key     revoked           no        no
            -   set     -   -       -        -        ERROR     kept   | console -       -        key     error             no        yes
            -   set     -   -       -        -        ERROR     wiped  | console -       -        key     error             no        no
            -   -       set set     known    known    PENDING   kept   | -       own     own      id      needs_credentials no        yes
            -   -       set set     known    known    PENDING   wiped  | -       own     own      id      needs_credentials no        no
            -   -       set set     known    known    CONNECTED kept   | -       own     own      id      connected         yes       yes
            -   -       set set     known    known    CONNECTED wiped  | -       own     own      id      connected         no        no
            -   -       set set     known    known    REVOKED   kept   | -       own     own      id      revoked           no        yes
            -   -       set set     known    known    REVOKED   wiped  | -       own     own      id      revoked           no        no
            -   -       set set     known    known    ERROR     kept   | -       own     own      id      error             no        yes
            -   -       set set     known    known    ERROR     wiped  | -       own     own      id      error             no        no
            -   -       set set     known    -        PENDING   kept   | -       own     own      id      needs_credentials no        yes
            -   -       set set     known    -        PENDING   wiped  | -       own     own      id      needs_credentials no        no
            -   -       set set     known    -        CONNECTED kept   | -       own     own      id      connected         yes       yes
            -   -       set set     known    -        CONNECTED wiped  | -       own     own      id      connected         no        no
            -   -       set set     known    -        REVOKED   kept   | -       own     own      id      revoked           no        yes
            -   -       set set     known    -        REVOKED   wiped  | -       own     own      id      revoked           no        no
            -   -       set set     known    -        ERROR     kept   | -       own     own      id      error             no        yes
            -   -       set set     known    -        ERROR     wiped  | -       own     own      id      error             no        no
            -   -       set set     -        known    PENDING   kept   | -       own     -        id      needs_credentials no        yes
            -   -       set set     -        known    PENDING   wiped  | -       own     -        id      needs_credentials no        no
            -   -       set set     -        known    CONNECTED kept   | -       own     -        id      connected         yes       yes
            -   -       set set     -        known    CONNECTED wiped  | -       own     -        id      connected         no        no
            -   -       set set     -        known    REVOKED   kept   | -       own     -        id      revoked           no        yes
            -   -       set set     -        known    REVOKED   wiped  | -       own     -        id      revoked           no        no
            -   -       set set     -        known    ERROR     kept   | -       own     -        id      error             no        yes
            -   -       set set     -        known    ERROR     wiped  | -       own     -        id      error             no        no
            -   -       set set     -        -        PENDING   kept   | -       own     -        id      needs_credentials no        yes
            -   -       set set     -        -        PENDING   wiped  | -       own     -        id      needs_credentials no        no
            -   -       set set     -        -        CONNECTED kept   | -       own     -        id      connected         yes       yes
            -   -       set set     -        -        CONNECTED wiped  | -       own     -        id      connected         no        no
            -   -       set set     -        -        REVOKED   kept   | -       own     -        id      revoked           no        yes
            -   -       set set     -        -        REVOKED   wiped  | -       own     -        id      revoked           no        no
            -   -       set set     -        -        ERROR     kept   | -       own     -        id      error             no        yes
            -   -       set set     -        -        ERROR     wiped  | -       own     -        id      error             no        no
            -   -       set -       known    known    PENDING   kept   | -       own     own      id      needs_credentials no        yes
            -   -       set -       known    known    PENDING   wiped  | -       own     own      id      needs_credentials no        no
            -   -       set -       known    known    CONNECTED kept   | -       own     own      id      connected         yes       yes
            -   -       set -       known    known    CONNECTED wiped  | -       own     own      id      connected         no        no
            -   -       set -       known    known    REVOKED   kept   | -       own     own      id      revoked           no        yes
            -   -       set -       known    known    REVOKED   wiped  | -       own     own      id      revoked           no        no
            -   -       set -       known    known    ERROR     kept   | -       own     own      id      error             no        yes
            -   -       set -       known    known    ERROR     wiped  | -       own     own      id      error             no        no
            -   -       set -       known    -        PENDING   kept   | -       own     own      id      needs_credentials no        yes
            -   -       set -       known    -        PENDING   wiped  | -       own     own      id      needs_credentials no        no
            -   -       set -       known    -        CONNECTED kept   | -       own     own      id      connected         yes       yes
            -   -       set -       known    -        CONNECTED wiped  | -       own     own      id      connected         no        no
            -   -       set -       known    -        REVOKED   kept   | -       own     own      id      revoked           no        yes
            -   -       set -       known    -        REVOKED   wiped  | -       own     own      id      revoked           no        no
            -   -       set -       known    -        ERROR     kept   | -       own     own      id      error             no        yes
            -   -       set -       known    -        ERROR     wiped  | -       own     own      id      error             no        no
            -   -       set -       -        known    PENDING   kept   | -       own     -        id      needs_credentials no        yes
            -   -       set -       -        known    PENDING   wiped  | -       own     -        id      needs_credentials no        no
            -   -       set -       -        known    CONNECTED kept   | -       own     -        id      connected         yes       yes
            -   -       set -       -        known    CONNECTED wiped  | -       own     -        id      connected         no        no
            -   -       set -       -        known    REVOKED   kept   | -       own     -        id      revoked           no        yes
            -   -       set -       -        known    REVOKED   wiped  | -       own     -        id      revoked           no        no
            -   -       set -       -        known    ERROR     kept   | -       own     -        id      error             no        yes
            -   -       set -       -        known    ERROR     wiped  | -       own     -        id      error             no        no
            -   -       set -       -        -        PENDING   kept   | -       own     -        id      needs_credentials no        yes
            -   -       set -       -        -        PENDING   wiped  | -       own     -        id      needs_credentials no        no
            -   -       set -       -        -        CONNECTED kept   | -       own     -        id      connected         yes       yes
            -   -       set -       -        -        CONNECTED wiped  | -       own     -        id      connected         no        no
            -   -       set -       -        -        REVOKED   kept   | -       own     -        id      revoked           no        yes
            -   -       set -       -        -        REVOKED   wiped  | -       own     -        id      revoked           no        no
            -   -       set -       -        -        ERROR     kept   | -       own     -        id      error             no        yes
            -   -       set -       -        -        ERROR     wiped  | -       own     -        id      error             no        no
            -   -       -   set     known    known    PENDING   kept   | -       console console  id      needs_credentials no        yes
            -   -       -   set     known    known    PENDING   wiped  | -       console console  id      needs_credentials no        no
            -   -       -   set     known    known    CONNECTED kept   | -       console console  id      connected         yes       yes
            -   -       -   set     known    known    CONNECTED wiped  | -       console console  id      connected         no        no
            -   -       -   set     known    known    REVOKED   kept   | -       console console  id      revoked           no        yes
            -   -       -   set     known    known    REVOKED   wiped  | -       console console  id      revoked           no        no
            -   -       -   set     known    known    ERROR     kept   | -       console console  id      error             no        yes
            -   -       -   set     known    known    ERROR     wiped  | -       console console  id      error             no        no
            -   -       -   set     known    -        PENDING   kept   | -       console -        id      needs_credentials no        yes
            -   -       -   set     known    -        PENDING   wiped  | -       console -        id      needs_credentials no        no
            -   -       -   set     known    -        CONNECTED kept   | -       console -        id      connected         yes       yes
            -   -       -   set     known    -        CONNECTED wiped  | -       console -        id      connected         no        no
            -   -       -   set     known    -        REVOKED   kept   | -       console -        id      revoked           no        yes
            -   -       -   set     known    -        REVOKED   wiped  | -       console -        id      revoked           no        no
            -   -       -   set     known    -        ERROR     kept   | -       console -        id      error             no        yes
            -   -       -   set     known    -        ERROR     wiped  | -       console -        id      error             no        no
            -   -       -   set     -        known    PENDING   kept   | -       console console  id      needs_credentials no        yes
            -   -       -   set     -        known    PENDING   wiped  | -       console console  id      needs_credentials no        no
            -   -       -   set     -        known    CONNECTED kept   | -       console console  id      connected         yes       yes
            -   -       -   set     -        known    CONNECTED wiped  | -       console console  id      connected         no        no
            -   -       -   set     -        known    REVOKED   kept   | -       console console  id      revoked           no        yes
            -   -       -   set     -        known    REVOKED   wiped  | -       console console  id      revoked           no        no
            -   -       -   set     -        known    ERROR     kept   | -       console console  id      error             no        yes
            -   -       -   set     -        known    ERROR     wiped  | -       console console  id      error             no        no
            -   -       -   set     -        -        PENDING   kept   | -       console -        id      needs_credentials no        yes
            -   -       -   set     -        -        PENDING   wiped  | -       console -        id      needs_credentials no        no
            -   -       -   set     -        -        CONNECTED kept   | -       console -        id      connected         yes       yes
            -   -       -   set     -        -        CONNECTED wiped  | -       console -        id      connected         no        no
            -   -       -   set     -        -        REVOKED   kept   | -       console -        id      revoked           no        yes
            -   -       -   set     -        -        REVOKED   wiped  | -       console -        id      revoked           no        no
            -   -       -   set     -        -        ERROR     kept   | -       console -        id      error             no        yes
            -   -       -   set     -        -        ERROR     wiped  | -       console -        id      error             no        no
            -   -       -   -       known    known    PENDING   kept   | -       -       console  id+key  needs_credentials no        yes
            -   -       -   -       known    known    PENDING   wiped  | -       -       console  id+key  needs_credentials no        no
            -   -       -   -       known    known    CONNECTED kept   | -       -       console  id+key  connected         yes       yes
            -   -       -   -       known    known    CONNECTED wiped  | -       -       console  id+key  connected         no        no
            -   -       -   -       known    known    REVOKED   kept   | -       -       console  id+key  revoked           no        yes
            -   -       -   -       known    known    REVOKED   wiped  | -       -       console  id+key  revoked           no        no
            -   -       -   -       known    known    ERROR     kept   | -       -       console  id+key  error             no        yes
            -   -       -   -       known    known    ERROR     wiped  | -       -       console  id+key  error             no        no
            -   -       -   -       known    -        PENDING   kept   | -       -       -        id+key  needs_credentials no        yes
            -   -       -   -       known    -        PENDING   wiped  | -       -       -        id+key  needs_credentials no        no
            -   -       -   -       known    -        CONNECTED kept   | -       -       -        id+key  connected         yes       yes
            -   -       -   -       known    -        CONNECTED wiped  | -       -       -        id+key  connected         no        no
            -   -       -   -       known    -        REVOKED   kept   | -       -       -        id+key  revoked           no        yes
            -   -       -   -       known    -        REVOKED   wiped  | -       -       -        id+key  revoked           no        no
            -   -       -   -       known    -        ERROR     kept   | -       -       -        id+key  error             no        yes
            -   -       -   -       known    -        ERROR     wiped  | -       -       -        id+key  error             no        no
            -   -       -   -       -        known    PENDING   kept   | -       -       console  id+key  needs_credentials no        yes
            -   -       -   -       -        known    PENDING   wiped  | -       -       console  id+key  needs_credentials no        no
            -   -       -   -       -        known    CONNECTED kept   | -       -       console  id+key  connected         yes       yes
            -   -       -   -       -        known    CONNECTED wiped  | -       -       console  id+key  connected         no        no
            -   -       -   -       -        known    REVOKED   kept   | -       -       console  id+key  revoked           no        yes
            -   -       -   -       -        known    REVOKED   wiped  | -       -       console  id+key  revoked           no        no
            -   -       -   -       -        known    ERROR     kept   | -       -       console  id+key  error             no        yes
            -   -       -   -       -        known    ERROR     wiped  | -       -       console  id+key  error             no        no
            -   -       -   -       -        -        PENDING   kept   | -       -       -        id+key  needs_credentials no        yes
            -   -       -   -       -        -        PENDING   wiped  | -       -       -        id+key  needs_credentials no        no
            -   -       -   -       -        -        CONNECTED kept   | -       -       -        id+key  connected         yes       yes
            -   -       -   -       -        -        CONNECTED wiped  | -       -       -        id+key  connected         no        no
            -   -       -   -       -        -        REVOKED   kept   | -       -       -        id+key  revoked           no        yes
            -   -       -   -       -        -        REVOKED   wiped  | -       -       -        id+key  revoked           no        no
            -   -       -   -       -        -        ERROR     kept   | -       -       -        id+key  error             no        yes
            -   -       -   -       -        -        ERROR     wiped  | -       -       -        id+key  error             no        no
            """;

    private static final int COMBINATIONS = 2 * 2 * 2 * 2 * 2 * 2 * 4 * 2;

    private static final String OWN_CLIENT_ID = "ca_OwnPlatform";
    private static final String CONSOLE_CLIENT_ID = "ca_ConsolePlatform";
    private static final String OWN_KEY = "v1:own:stored-form-of-the-accounts-key";
    private static final String CONSOLE_KEY = "v1:console:stored-form-of-the-consoles-key";
    private static final String OWN_PLATFORM = "acct_OwnPlatform";
    private static final String CONSOLE_PLATFORM = "acct_ConsolePlatform";

    record Inputs(boolean ownClientId, boolean consoleClientId, boolean ownKey, boolean consoleKey, boolean ownPlatform,
                  boolean consolePlatform, String stored, boolean tokens) {
    }

    /** What the view states, in the table's words. */
    record Expected(String clientId, String key, String platform, String missing, String status, boolean connected,
                    boolean hasConnection) {
    }

    record Row(Inputs inputs, Expected expected) {
    }

    @Test
    void theViewStatesTheEffectiveValuesAndTheStatusOfEveryCombination() throws SQLException {
        List<Row> rows = table();
        assertThat(rows).as("one row per combination").hasSize(COMBINATIONS);
        assertThat(rows.stream().map(Row::inputs).distinct().count()).as("every combination, once").isEqualTo(COMBINATIONS);

        Map<List<Boolean>, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(row -> groups.computeIfAbsent(List.of(row.inputs().consoleClientId(), row.inputs().consoleKey(),
                row.inputs().consolePlatform()), console -> new ArrayList<>()).add(row));
        assertThat(groups).as("the console's values, one group each").hasSize(8);

        Api.resetDatabase();
        try (Connection db = PostgresResource.connection()) {
            for (Map.Entry<List<Boolean>, List<Row>> group : groups.entrySet()) {
                List<Expected> expected = group.getValue().stream().map(Row::expected).toList();
                assertThat(viewOf(db, group.getValue())).as("the view when the console's client ID, key and platform are set: "
                        + group.getKey()).containsExactlyElementsOf(expected);
            }
        } finally {
            Api.resetDatabase();
        }
    }

    /** Writes the group's installations under its console values and reads them back from the view, in the table's order. */
    private static List<Expected> viewOf(Connection db, List<Row> group) throws SQLException {
        Inputs console = group.get(0).inputs();
        try (Statement clear = db.createStatement()) {
            clear.execute("delete from account_connector");
        }
        try (PreparedStatement settings = db.prepareStatement(
                "update connector_settings set client_id = ?, client_secret = ?, platform_account_id = ?")) {
            settings.setString(1, console.consoleClientId() ? CONSOLE_CLIENT_ID : null);
            settings.setString(2, console.consoleKey() ? CONSOLE_KEY : null);
            settings.setString(3, console.consolePlatform() ? CONSOLE_PLATFORM : null);
            assertThat(settings.executeUpdate()).as("the console's settings row").isEqualTo(1);
        }
        try (PreparedStatement insert = db.prepareStatement("""
                insert into account_connector (id, account_id, client_id, client_secret, platform_account_id, status, stripe_user_id,
                                               access_token, refresh_token, created_at, updated_at, version)
                values (?, ?, ?, ?, ?, ?, 'acct_Connected', ?, ?, ?, ?, 0)""")) {
            OffsetDateTime now = OffsetDateTime.now();
            for (int i = 0; i < group.size(); i++) {
                Inputs row = group.get(i).inputs();
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, "combination-%03d".formatted(i));
                insert.setString(3, row.ownClientId() ? OWN_CLIENT_ID : null);
                insert.setString(4, row.ownKey() ? OWN_KEY : null);
                insert.setString(5, row.ownPlatform() ? OWN_PLATFORM : null);
                insert.setString(6, row.stored());
                insert.setString(7, row.tokens() ? "v1:k:access-token" : null);
                insert.setString(8, row.tokens() ? "v1:k:refresh-token" : null);
                insert.setObject(9, now);
                insert.setObject(10, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<Expected> read = new ArrayList<>();
        try (PreparedStatement view = db.prepareStatement("""
                select client_id, client_id_source, client_secret, client_secret_source, platform_account, missing, status,
                       connected, has_connection
                  from installation_state order by account_id""");
             ResultSet row = view.executeQuery()) {
            while (row.next()) {
                read.add(new Expected(
                        whose(row.getString("client_id"), row.getString("client_id_source"), OWN_CLIENT_ID, CONSOLE_CLIENT_ID),
                        whose(row.getString("client_secret"), row.getString("client_secret_source"), OWN_KEY, CONSOLE_KEY),
                        whose(row.getString("platform_account"), null, OWN_PLATFORM, CONSOLE_PLATFORM),
                        missing((String[]) row.getArray("missing").getArray()),
                        row.getString("status").toLowerCase(),
                        row.getBoolean("connected"),
                        row.getBoolean("has_connection")));
            }
        }
        return read;
    }

    /** {@code own}, {@code console} or {@code -}, as the table says it; anything else (a value from the wrong side, a source that disagrees) as it is. */
    private static String whose(String value, String source, String own, String console) {
        if (value == null) {
            return source == null ? "-" : "none but source " + source;
        }
        if (value.equals(own) && (source == null || source.equals("ACCOUNT"))) {
            return "own";
        }
        if (value.equals(console) && (source == null || source.equals("CONSOLE"))) {
            return "console";
        }
        return value + " from " + source;
    }

    private static String missing(String[] fields) {
        if (fields.length == 0) {
            return "-";
        }
        return String.join("+", Arrays.stream(fields).map(field -> switch (field) {
            case "clientId" -> "id";
            case "clientSecret" -> "key";
            default -> field;
        }).toList());
    }

    private static List<Row> table() {
        List<String> lines = TABLE.lines().skip(2).toList();
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            String[] cell = line.trim().split("\\s+");
            assertThat(cell).as(line).hasSize(16);
            assertThat(cell[8]).as(line).isEqualTo("|");
            assertThat(cell[6]).as(line).isIn("PENDING", "CONNECTED", "REVOKED", "ERROR");
            assertThat(cell[7]).as(line).isIn("kept", "wiped");
            rows.add(new Row(
                    new Inputs(flag(cell[0], "set"), flag(cell[1], "set"), flag(cell[2], "set"), flag(cell[3], "set"),
                            flag(cell[4], "known"), flag(cell[5], "known"), cell[6], cell[7].equals("kept")),
                    new Expected(cell[9], cell[10], cell[11], cell[12], cell[13], flag(cell[14], "yes"), flag(cell[15], "yes"))));
        }
        return rows;
    }

    private static boolean flag(String cell, String yes) {
        assertThat(cell).isIn(yes, "-", "no");
        return cell.equals(yes);
    }
}
