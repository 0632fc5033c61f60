-- docker-compose: the emulator keeps its own tables (contacts, companies, filters…) apart from the backend's.
CREATE DATABASE connectra_emulator;
