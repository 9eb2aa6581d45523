import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../../src/store/database.ts';
import { postgresAdmin, withDatabaseName } from './test-database.ts';

/**
 * Vitest global setup of the "postgres" project: refuses to run when TEST_DATABASE_URL cannot be
 * reached, and migrates a template database once, which every test file's database is copied from.
 */
export default async function postgresReachable(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('the postgres test project needs TEST_DATABASE_URL');
  const admin = postgresAdmin(url);
  try {
    await admin.raw('select 1');
  } catch (error) {
    await admin.destroy();
    throw new Error(`PostgreSQL at TEST_DATABASE_URL cannot be reached: ${(error as Error).message}`);
  }
  const name = `refdesk_test_template_${process.pid}`;
  const dropTemplate = () => admin.raw(`drop database if exists ${name} with (force)`);
  await dropTemplate();
  await admin.raw(`create database ${name}`);
  project.provide('postgresTemplate', name);
  const template = openDatabase(withDatabaseName(url, name));
  try {
    await migrate(template);
  } finally {
    await template.destroy();
  }
  return async () => {
    await dropTemplate();
    await admin.destroy();
  };
}
