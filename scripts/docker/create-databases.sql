-- docker-compose: the backend and the emulator each own a database; the emulator's tables (contacts, companies,
-- filters…) stay apart from the backend's write side.
CREATE DATABASE connectra_backend;
CREATE DATABASE connectra_emulator;
