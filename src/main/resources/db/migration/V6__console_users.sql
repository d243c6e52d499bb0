-- People who sign in to the console: bcrypt hashes only; a disabled user loses access at once.
create table console_user (
    id         uuid         primary key,
    username   varchar(64)  not null unique,
    password   varchar(100) not null,   -- bcrypt, modular crypt format
    role       varchar(32)  not null,
    enabled    boolean      not null default true,
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);

-- Failed sign-ins per user name, shared by every replica: too many in a window locks the name for a while.
create table sign_in_attempt (
    subject           varchar(64) primary key,  -- the lower-cased user name tried
    failures          integer     not null,
    window_started_at timestamptz not null,
    locked_until      timestamptz
);
